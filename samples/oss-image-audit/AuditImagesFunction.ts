import { Ctx, Event, FcContext, FcFunction, inject, Lifecycle, OnInvoke, registry } from 'fc-kernel';
import { OssEvent, type OssEventRecord } from 'fc-kernel/events';
import type { AuditReport } from './AuditReport';
import { IMAGE_CATALOG, InMemoryImageCatalog, type ImageCatalog } from './ImageCatalog';
import { ImagePolicy } from './ImagePolicy';

/**
 * Audits what lands in an upload bucket: every created object is checked against the image
 * policy and catalogued or flagged; every removed object leaves the catalog.
 */
@FcFunction({ name: 'audit-images' })
@registry([{ token: IMAGE_CATALOG, useClass: InMemoryImageCatalog, options: { lifecycle: Lifecycle.Singleton } }])
export class AuditImagesFunction {
  constructor(
    private readonly policy: ImagePolicy,
    @inject(IMAGE_CATALOG) private readonly catalog: ImageCatalog,
  ) {}

  @OnInvoke()
  async audit(@Event() notification: OssEvent, @Ctx() ctx: FcContext): Promise<AuditReport> {
    const report: AuditReport = { accepted: [], rejected: [], removed: [], ignored: [] };
    for (const record of notification.events) {
      await this.auditOne(record, report, ctx);
    }
    ctx.logger.info(
      `audited ${notification.events.length} object(s): ${report.accepted.length} accepted, ` +
        `${report.rejected.length} rejected, ${report.removed.length} removed`,
    );
    return report;
  }

  private async auditOne(record: OssEventRecord, report: AuditReport, ctx: FcContext): Promise<void> {
    const { object } = record.oss;
    const ref = { bucket: record.oss.bucket.name, key: object.key };
    if (record.eventName.startsWith('ObjectCreated:')) {
      const verdict = this.policy.judge(object);
      if (verdict.allowed) {
        const size = object.size ?? 0;
        await this.catalog.add({
          ...ref,
          type: verdict.type,
          size,
          eTag: object.eTag ?? '',
          uploadedAt: record.eventTime,
        });
        report.accepted.push({ ...ref, type: verdict.type, size });
      } else {
        await this.catalog.flag({ ...ref, reason: verdict.reason, uploadedAt: record.eventTime });
        report.rejected.push({ ...ref, reason: verdict.reason });
        ctx.logger.warn(`rejected ${ref.bucket}/${ref.key}: ${verdict.reason}`);
      }
    } else if (record.eventName.startsWith('ObjectRemoved:')) {
      report.removed.push({ ...ref, known: await this.catalog.remove(ref) });
    } else {
      report.ignored.push({ ...ref, eventName: record.eventName });
    }
  }
}
