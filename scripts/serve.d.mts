import type { Server } from 'node:http';

/** The headers that make a page cross-origin isolated. */
export declare const ISOLATION_HEADERS: Readonly<Record<string, string>>;

/** A static file server of `mounts` (URL prefix → folder), with the isolation headers when `isolated` (default). */
export declare function staticServer(mounts: Readonly<Record<string, string>>, options?: { isolated?: boolean }): Server;
