import { createServer } from 'node:net';

/** Whether something can listen on host:port right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free on host (bind to 0, read it back, release it). */
function ephemeralPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not read the bound port'))));
    });
  });
}

/**
 * Hands out loopback ports for dev servers. A port is free when handed out and stays reserved
 * (never handed out twice) until released, so two projects starting at once cannot collide in the
 * gap between the search and the dev server binding it. One allocator serves every project.
 */
export class PortAllocator {
  readonly #host: string;
  readonly #reserved = new Set<number>();

  constructor(host = '127.0.0.1') {
    this.#host = host;
  }

  async allocate(): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = await ephemeralPort(this.#host);
      if (this.#reserved.has(port)) continue;
      this.#reserved.add(port);
      return port;
    }
    throw new Error('No free port found for the dev server.');
  }

  /** Keeps `port` if it is still free (restarts keep their URL); otherwise allocates another. */
  async reuse(port: number): Promise<number> {
    if (await isPortFree(port, this.#host)) {
      this.#reserved.add(port);
      return port;
    }
    this.release(port);
    return this.allocate();
  }

  release(port: number): void {
    this.#reserved.delete(port);
  }

  get reserved(): number {
    return this.#reserved.size;
  }
}

/** The allocator shared by every ProcessManager that is not given one. */
export const defaultPorts = new PortAllocator();
