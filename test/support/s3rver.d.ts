/** The part of s3rver (a local S3-compatible server, test-only) the S3 files spec uses; it ships no types. */
declare module 's3rver' {
  interface S3rverOptions {
    port: number;
    address: string;
    silent?: boolean;
    directory: string;
    configureBuckets?: { name: string; configs: Buffer[] }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<unknown>;
    close(): Promise<void>;
  }
}
