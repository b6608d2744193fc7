import type { InjectionToken } from 'fc-kernel';

/** Where an object lives. */
export interface ObjectRef {
  bucket: string;
  key: string;
}

/** An image the audit accepted. */
export interface CatalogedImage extends ObjectRef {
  type: string;
  size: number;
  eTag: string;
  /** When OSS recorded the upload (the event's `eventTime`). */
  uploadedAt: string;
}

/** An upload the audit refused, kept for moderation. */
export interface FlaggedObject extends ObjectRef {
  reason: string;
  uploadedAt: string;
}

/**
 * The record of what the bucket holds: accepted images, and refused uploads to review. Injected
 * by token, so a test or a real database can replace it.
 */
export interface ImageCatalog {
  /** Adds or replaces an image: OSS may deliver a notification twice. */
  add(image: CatalogedImage): Promise<void>;
  flag(object: FlaggedObject): Promise<void>;
  /** Forgets the object, image or flagged upload. Answers whether the catalog knew it. */
  remove(object: ObjectRef): Promise<boolean>;
}

export const IMAGE_CATALOG: InjectionToken<ImageCatalog> = Symbol('ImageCatalog');

/** A catalog in memory, for running the sample without a database. */
export class InMemoryImageCatalog implements ImageCatalog {
  readonly images = new Map<string, CatalogedImage>();
  readonly flagged = new Map<string, FlaggedObject>();

  async add(image: CatalogedImage): Promise<void> {
    this.flagged.delete(idOf(image));
    this.images.set(idOf(image), image);
  }

  async flag(object: FlaggedObject): Promise<void> {
    this.images.delete(idOf(object));
    this.flagged.set(idOf(object), object);
  }

  async remove(object: ObjectRef): Promise<boolean> {
    const image = this.images.delete(idOf(object));
    const flagged = this.flagged.delete(idOf(object));
    return image || flagged;
  }
}

function idOf({ bucket, key }: ObjectRef): string {
  return `${bucket}/${key}`;
}
