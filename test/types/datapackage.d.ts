/**
 * The parts of Frictionless's `datapackage` library (1.1, untyped) the download tests use: loading a
 * descriptor, which validates it against the Frictionless profiles, and reading a tabular resource with
 * its Table Schema.
 */
declare module 'datapackage' {
  export class Package {
    static load(descriptor: object, options?: { basePath?: string; strict?: boolean }): Promise<Package>;
    readonly valid: boolean;
    readonly errors: Error[];
  }
  export class Resource {
    static load(descriptor: object, options?: { basePath?: string; strict?: boolean }): Promise<Resource>;
    readonly valid: boolean;
    readonly errors: Error[];
    read(options?: { keyed?: boolean; cast?: boolean }): Promise<unknown[]>;
  }
}
