import { injectable } from 'fc-kernel';
import type { OssObject } from 'fc-kernel/events';
import { extname } from 'node:path/posix';

/** The image types the bucket accepts, each with the file extensions it may carry. */
export const ALLOWED_IMAGE_TYPES: Readonly<Record<string, readonly string[]>> = {
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
  'image/webp': ['.webp'],
  'image/gif': ['.gif'],
};

/** The largest image accepted: 20 MiB. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** What the policy decided about one uploaded object. */
export type ImageVerdict = { allowed: true; type: string } | { allowed: false; reason: string };

const TYPE_BY_EXTENSION = new Map(
  Object.entries(ALLOWED_IMAGE_TYPES).flatMap(([type, extensions]) => extensions.map((ext) => [ext, type] as const)),
);

/**
 * Decides whether an uploaded object is an acceptable image, from what OSS reports about it: the
 * key's extension, the content type the uploader declared and the size. OSS tells the type the
 * uploader *claimed*, so a claim that disagrees with the extension is refused rather than trusted.
 */
@injectable()
export class ImagePolicy {
  judge(object: OssObject): ImageVerdict {
    const extension = extname(object.key).toLowerCase();
    const type = TYPE_BY_EXTENSION.get(extension);
    if (!type) {
      return {
        allowed: false,
        reason: `${extension ? `"${extension}"` : 'no extension'} is not an image type we accept`,
      };
    }
    const declared = object.objectMeta?.mimeType?.toLowerCase();
    if (declared && declared !== type) {
      return { allowed: false, reason: `declared as ${declared}, but "${extension}" is ${type}` };
    }
    const size = object.size ?? 0;
    if (size === 0) return { allowed: false, reason: 'the object is empty' };
    if (size > MAX_IMAGE_BYTES) {
      return { allowed: false, reason: `${size} bytes is over the limit of ${MAX_IMAGE_BYTES}` };
    }
    return { allowed: true, type };
  }
}
