import { getMetadataStorage } from 'class-validator';
import { transformerStorage } from '../../../src/validation/classTransformerInternals';

/**
 * Classes made at runtime by a test, removed from class-validator's and class-transformer's
 * stores when it ends: class-validator scans its whole store on every validation, so thousands
 * of generated classes left behind would slow every later test in the process.
 */
export class MetadataSandbox {
  private readonly classes: object[] = [];

  /** Records a class to forget. */
  track<T extends object>(cls: T): T {
    this.classes.push(cls);
    return cls;
  }

  forget(): void {
    const validators = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown> };
    const transformer = transformerStorage() as unknown as Record<string, Map<unknown, unknown>>;
    for (const cls of this.classes) {
      validators.validationMetadatas.delete(cls);
      for (const store of [
        '_typeMetadatas',
        '_transformMetadatas',
        '_exposeMetadatas',
        '_excludeMetadatas',
        '_ancestorsMap',
      ]) {
        transformer[store]!.delete(cls);
      }
    }
    this.classes.length = 0;
  }
}
