export { probeHttp, type WaitForHttpOptions, waitForHttp } from './http-ready.ts';
export {
  ProcessManager,
  type ProcessManagerOptions,
  type ProcessStartOptions,
  type ProcessState,
  type ProcessStatus,
  tailLines,
} from './manager.ts';
export { defaultPorts, isPortFree, PortAllocator } from './ports.ts';
