import { request } from '../api/http.ts';

/** A terminal waiting for approval (`POST /api/device/lookup`). */
export interface DeviceRequest {
  /** `BCDF-GHJK` */
  userCode: string;
  /** What the terminal calls itself: usually its host name. */
  clientName: string;
  createdAt: number;
  expiresAt: number;
}

export const deviceKey = (userCode: string) => ['device', userCode] as const;

export function lookupDevice(userCode: string) {
  return request<DeviceRequest>('/api/device/lookup', { method: 'POST', body: { userCode } });
}

export function decideDevice(userCode: string, decision: 'approve' | 'deny') {
  return request<{ status: 'approved' | 'denied' }>(`/api/device/${decision}`, {
    method: 'POST',
    body: { userCode },
  });
}
