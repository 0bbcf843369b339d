/** Ambient types for the local test servers (dynalite and s3rver ship none); only local-stack.ts imports them. */
declare module 'dynalite' {
  /** Options of an in-process DynamoDB server. */
  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    verbose?: boolean;
  }
  /** Creates (does not start) a dynalite HTTP server; its `close` also closes the LevelDB store. */
  function dynalite(options?: DynaliteOptions): import('node:http').Server;
  export default dynalite;
}

declare module 's3rver' {
  /** Options of an S3-compatible file-system server. */
  interface S3rverOptions {
    port?: number;
    address?: string;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
  }
  /** An S3 server storing objects under `directory`. */
  class S3rver {
    constructor(options?: S3rverOptions);
    httpServer?: import('node:http').Server;
    run(): Promise<import('node:net').AddressInfo>;
    close(): Promise<void>;
  }
  export default S3rver;
}
