interface Metafile {
  inputs: Record<string, unknown>;
}
/** The package folders (`node_modules/a`, `node_modules/@s/b/node_modules/c`) of the bundles' inputs. */
export function bundledPackageDirs(metafiles: Metafile[]): string[];
/** A package's name, version, declared license and license file text (undefined when it ships none). */
export function packageLicense(dir: string): {
  name: string;
  version: string;
  license: string;
  text?: string;
};
export function writeThirdPartyLicenses(metafiles: Metafile[]): Promise<void>;
