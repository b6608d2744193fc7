import type { ObjectRef } from './ImageCatalog';

/** What `audit-images` answers: each object of the notification, by what was done with it. */
export interface AuditReport {
  /** Created objects that are acceptable images, now in the catalog. */
  accepted: (ObjectRef & { type: string; size: number })[];
  /** Created objects that are not, flagged for moderation. */
  rejected: (ObjectRef & { reason: string })[];
  /** Removed objects; `known` tells whether the catalog had them. */
  removed: (ObjectRef & { known: boolean })[];
  /** Events the audit does not act on (`ObjectModified:*`), so a new rule cannot fail the batch. */
  ignored: (ObjectRef & { eventName: string })[];
}
