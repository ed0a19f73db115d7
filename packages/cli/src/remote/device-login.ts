import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { networkReason, parseJson } from './api-client.ts';

/**
 * `aura auth login --device`: the client half of the server's device login (RFC 8628). The server
 * hands out a device code (kept here) and a user code (shown to the person); the person approves
 * the user code in the web IDE while this polls; the approval yields a personal API token.
 */

export interface DeviceCodeInfo {
  /** `BCDF-GHJK`: what the person types, or checks, on the page. */
  userCode: string;
  /** The page to open in a browser. */
  verificationUri: string;
  /** The same page with the code filled in. */
  verificationUriComplete?: string;
  /** Seconds the person has to approve. */
  expiresIn: number;
}

export interface DeviceLoginOptions {
  /** Called once, as soon as the codes are issued: show them to the person. */
  onCode(info: DeviceCodeInfo): void;
  signal?: AbortSignal;
  /** How the token is named on the server (`aura CLI (<clientName>) — <date>`); default: the host name. */
  clientName?: string;
}

export type DeviceLoginFailure =
  | 'invalid_url'
  | 'unreachable'
  | 'not_aura'
  /** The server refused to start a login (rate limit, bad client name). */
  | 'refused'
  | 'expired'
  | 'denied'
  | 'aborted';

/** Why a device login ended without a token; the message is meant to be shown as is. */
export class DeviceLoginError extends Error {
  override name = 'DeviceLoginError';
  readonly code: DeviceLoginFailure;

  constructor(code: DeviceLoginFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** One request that gets no answer within this long counts as the server being unreachable. */
const REQUEST_TIMEOUT_MS = 15_000;
/** RFC 8628 §3.5: after `slow_down`, poll 5 s less often for the rest of the login. */
const SLOW_DOWN_STEP_S = 5;
/** Polls in a row that may fail on the network or with a 5xx (a server restarting) before giving up. */
const TOLERATED_POLL_FAILURES = 2;

/** Resolves to an Aura personal API token (`aura_pat_…`) once the person approves in the browser. */
export async function deviceLogin(serverUrl: string, opts: DeviceLoginOptions): Promise<string> {
  const base = apiBase(serverUrl);
  throwIfAborted(opts.signal);
  const clientName = cleanClientName(opts.clientName ?? hostname());
  const started = await call(base, 'code', clientName ? { client_name: clientName } : {}, opts.signal);
  const issued = deviceCodeOf(started, base);
  opts.onCode({
    userCode: issued.user_code,
    verificationUri: issued.verification_uri,
    ...(issued.verification_uri_complete
      ? { verificationUriComplete: issued.verification_uri_complete }
      : {}),
    expiresIn: issued.expires_in,
  });
  return pollForToken(base, issued, opts.signal);
}

/** RFC 8628 §3.4–3.5: polls every interval until the server answers with a token or a final no. */
async function pollForToken(base: URL, issued: IssuedCodes, signal?: AbortSignal): Promise<string> {
  const deadline = Date.now() + issued.expires_in * 1000;
  let intervalS = issued.interval;
  let failures = 0;
  for (;;) {
    await wait(intervalS * 1000, signal);
    if (Date.now() >= deadline) throw expired();
    let answer: Answer;
    try {
      answer = await call(base, 'token', { device_code: issued.device_code }, signal);
    } catch (error) {
      if (!(error instanceof DeviceLoginError) || error.code !== 'unreachable') throw error;
      if (++failures > TOLERATED_POLL_FAILURES) throw error;
      continue;
    }
    if (answer.status >= 500) {
      if (++failures > TOLERATED_POLL_FAILURES) throw lostContact(base, answer);
      continue;
    }
    failures = 0;
    if (answer.status === 200) return tokenOf(answer, base);
    switch (answer.code) {
      case 'authorization_pending':
        break;
      case 'slow_down':
      case 'rate_limited':
        intervalS += SLOW_DOWN_STEP_S;
        break;
      case 'expired_token':
        throw expired();
      case 'invalid_grant':
        throw new DeviceLoginError('expired', answer.message ?? 'The server no longer accepts this code.');
      case 'access_denied':
        throw new DeviceLoginError('denied', 'The sign-in was denied in the browser.');
      case undefined:
        throw notAura(base, answer);
      default:
        throw new DeviceLoginError(
          'refused',
          `The server refused the sign-in: ${answer.message ?? answer.code}`,
        );
    }
  }
}

interface Answer {
  status: number;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: unknown;
  /** Aura's `error.code`, when the body is an Aura error. */
  code?: string;
  /** Aura's `error.message`. */
  message?: string;
  contentType: string;
}

/** `https://host/prefix/` → `https://host/prefix/api/device/`, refusing what is not an http(s) URL. */
function apiBase(serverUrl: string): URL {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new DeviceLoginError(
      'invalid_url',
      `"${serverUrl}" is not a URL: give the server as http(s)://host[:port].`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DeviceLoginError('invalid_url', `"${serverUrl}" is not an http:// or https:// URL.`);
  }
  url.search = '';
  url.hash = '';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/device/`;
  return url;
}

/** What the server shows the approver: printable, at most 64 characters (the server's limits). */
function cleanClientName(name: string): string | undefined {
  const printable = name
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim();
  return [...printable].slice(0, 64).join('').trim() || undefined;
}

async function call(base: URL, route: 'code' | 'token', body: object, signal?: AbortSignal): Promise<Answer> {
  const url = new URL(route, base);
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    throwIfAborted(signal);
    const why = timeout.aborted ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : networkReason(error);
    throw new DeviceLoginError('unreachable', `Cannot reach the Aura server at ${serverOf(base)}: ${why}.`, {
      cause: error,
    });
  }
  const parsed = parseJson(text);
  const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;
  return {
    status: response.status,
    body: parsed,
    contentType: response.headers.get('content-type') ?? '',
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
  };
}

interface IssuedCodes {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval: number;
}

function deviceCodeOf(answer: Answer, base: URL): IssuedCodes {
  if (answer.status === 429 || (answer.status === 400 && answer.code)) {
    throw new DeviceLoginError(
      'refused',
      `The server refused to start a sign-in: ${answer.message ?? answer.code}`,
    );
  }
  if (answer.status === 404 && answer.code === 'not_found') {
    throw new DeviceLoginError(
      'not_aura',
      `The Aura server at ${serverOf(base)} does not offer device login (an older version?). Create a token in Settings → API tokens and paste it instead.`,
    );
  }
  const body = answer.body;
  if (
    answer.status !== 200 ||
    !isRecord(body) ||
    typeof body.device_code !== 'string' ||
    typeof body.user_code !== 'string' ||
    typeof body.verification_uri !== 'string' ||
    !isPositive(body.expires_in)
  ) {
    throw notAura(base, answer);
  }
  return {
    device_code: body.device_code,
    user_code: body.user_code,
    verification_uri: body.verification_uri,
    ...(typeof body.verification_uri_complete === 'string'
      ? { verification_uri_complete: body.verification_uri_complete }
      : {}),
    expires_in: body.expires_in,
    // RFC 8628 §3.2: 5 s when the server names no interval.
    interval: isPositive(body.interval) ? body.interval : 5,
  };
}

function tokenOf(answer: Answer, base: URL): string {
  const token = isRecord(answer.body) ? answer.body.access_token : undefined;
  if (typeof token !== 'string' || !/^aura_pat_[\w-]+$/.test(token)) throw notAura(base, answer);
  return token;
}

/** Waits `ms`, or rejects as soon as the login is aborted. */
async function wait(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    throwIfAborted(signal);
    throw error;
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted)
    throw new DeviceLoginError('aborted', 'The device login was cancelled.', { cause: signal.reason });
}

const expired = () =>
  new DeviceLoginError(
    'expired',
    'The code expired before it was approved. Run the login again for a new one.',
  );

function notAura(base: URL, answer: Answer): DeviceLoginError {
  const what =
    answer.message ??
    `HTTP ${answer.status}${answer.contentType ? `, ${answer.contentType.split(';')[0]}` : ''}`;
  return new DeviceLoginError(
    'not_aura',
    `${serverOf(base)} did not answer like an Aura server (${what}). Check the URL.`,
  );
}

function lostContact(base: URL, answer: Answer): DeviceLoginError {
  return new DeviceLoginError(
    'unreachable',
    `The Aura server at ${serverOf(base)} keeps failing (HTTP ${answer.status}${answer.message ? `: ${answer.message}` : ''}).`,
  );
}

/** The server URL as the person gave it, without the API path added here. */
function serverOf(base: URL): string {
  return new URL('../..', base).href.replace(/\/$/, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
