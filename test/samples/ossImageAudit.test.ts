import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestKernel, fixtures, type OssRecordFixture, type TestKernel } from 'fc-kernel/testing';
import { AuditImagesFunction } from '../../samples/oss-image-audit/AuditImagesFunction';
import type { AuditReport } from '../../samples/oss-image-audit/AuditReport';
import { IMAGE_CATALOG, InMemoryImageCatalog, type ImageCatalog } from '../../samples/oss-image-audit/ImageCatalog';
import { MAX_IMAGE_BYTES } from '../../samples/oss-image-audit/ImagePolicy';
import { SAMPLES_DIR } from './sampleFiles';

const REMOVED = { eventName: 'ObjectRemoved:DeleteObject', size: undefined, eTag: undefined, mimeType: undefined };

describe('samples/oss-image-audit with the testing kit', () => {
  let catalog: InMemoryImageCatalog;
  let tk: TestKernel;

  beforeEach(() => {
    catalog = new InMemoryImageCatalog();
    tk = createTestKernel(AuditImagesFunction, { overrides: [[IMAGE_CATALOG, { useValue: catalog }]] });
  });
  afterEach(() => tk.close());

  async function audit(records: OssRecordFixture | OssRecordFixture[]): Promise<AuditReport> {
    const res = await tk.invoke<AuditReport>(fixtures.oss(records));
    expect(res.ok, JSON.stringify(res.error)).to.equal(true);
    return res.body;
  }

  it('catalogues an uploaded image and answers it as accepted', async () => {
    const report = await audit({ key: 'uploads/sunset.jpg', size: 1200, eventTime: '2024-05-06T07:18:00.000Z' });
    expect(report).to.deep.equal({
      accepted: [{ bucket: 'testbucket', key: 'uploads/sunset.jpg', type: 'image/jpeg', size: 1200 }],
      rejected: [],
      removed: [],
      ignored: [],
    });
    expect(catalog.images.get('testbucket/uploads/sunset.jpg')).to.deep.equal({
      bucket: 'testbucket',
      key: 'uploads/sunset.jpg',
      type: 'image/jpeg',
      size: 1200,
      eTag: '7D73E1052AF595535DE90994F4C3E6D5',
      uploadedAt: '2024-05-06T07:18:00.000Z',
    });
  });

  it('accepts each allowed type, whatever the case of its extension, with or without a declared type', async () => {
    const report = await audit([
      { key: 'a.PNG', mimeType: 'image/png' },
      { key: 'b.webp', mimeType: 'image/webp' },
      { key: 'c.gif', mimeType: undefined },
      { key: 'd.jpeg', mimeType: 'IMAGE/JPEG' },
    ]);
    expect(report.accepted.map((a) => a.type)).to.deep.equal(['image/png', 'image/webp', 'image/gif', 'image/jpeg']);
    expect(report.rejected).to.deep.equal([]);
  });

  it(`accepts an image of exactly ${MAX_IMAGE_BYTES} bytes`, async () => {
    expect((await audit({ key: 'big.png', mimeType: 'image/png', size: MAX_IMAGE_BYTES })).accepted).to.have.length(1);
  });

  const refusals: { name: string; record: OssRecordFixture; reason: string }[] = [
    {
      name: 'an SVG',
      record: { key: 'u/logo.svg', mimeType: 'image/svg+xml' },
      reason: '".svg" is not an image type we accept',
    },
    {
      name: 'a program',
      record: { key: 'u/run.exe', mimeType: 'application/octet-stream' },
      reason: '".exe" is not an image type we accept',
    },
    {
      name: 'a key without extension',
      record: { key: 'u/README' },
      reason: 'no extension is not an image type we accept',
    },
    {
      name: 'a type that disagrees with the extension',
      record: { key: 'u/page.png', mimeType: 'text/html' },
      reason: 'declared as text/html, but ".png" is image/png',
    },
    { name: 'an empty object', record: { key: 'u/a.jpg', size: 0 }, reason: 'the object is empty' },
    {
      name: 'an image over the size limit',
      record: { key: 'u/a.jpg', size: MAX_IMAGE_BYTES + 1 },
      reason: `${MAX_IMAGE_BYTES + 1} bytes is over the limit of ${MAX_IMAGE_BYTES}`,
    },
  ];
  for (const { name, record, reason } of refusals) {
    it(`rejects ${name} and flags it for moderation`, async () => {
      const res = await tk.invoke<AuditReport>(fixtures.oss(record));
      expect(res.ok).to.equal(true);
      expect(res.body.accepted).to.deep.equal([]);
      expect(res.body.rejected).to.deep.equal([{ bucket: 'testbucket', key: record.key, reason }]);
      expect(catalog.images.size).to.equal(0);
      expect(catalog.flagged.get(`testbucket/${record.key}`)).to.include({ reason });
      expect(res.logs.some((l) => l.endsWith(`[WARN] rejected testbucket/${record.key}: ${reason}`))).to.equal(true);
    });
  }

  it('handles removals: the catalog forgets the image, and says whether it knew it', async () => {
    await audit([{ key: 'u/a.jpg' }, { key: 'u/b.svg' }]);
    const report = await audit([
      { ...REMOVED, key: 'u/a.jpg' },
      { ...REMOVED, key: 'u/b.svg', eventName: 'ObjectRemoved:DeleteObjects' },
      { ...REMOVED, key: 'u/never-seen.png' },
    ]);
    expect(report.removed).to.deep.equal([
      { bucket: 'testbucket', key: 'u/a.jpg', known: true },
      { bucket: 'testbucket', key: 'u/b.svg', known: true },
      { bucket: 'testbucket', key: 'u/never-seen.png', known: false },
    ]);
    expect(catalog.images.size + catalog.flagged.size).to.equal(0);
  });

  it('audits a notification of several records in order, in several buckets', async () => {
    const report = await audit([
      { key: 'u/1.jpg', bucket: 'photos' },
      { key: 'u/2.txt', bucket: 'photos' },
      { ...REMOVED, key: 'u/3.png', bucket: 'avatars' },
      { key: 'u/4.png', bucket: 'avatars', mimeType: 'image/png' },
    ]);
    expect(report.accepted.map((a) => `${a.bucket}/${a.key}`)).to.deep.equal(['photos/u/1.jpg', 'avatars/u/4.png']);
    expect(report.rejected.map((r) => r.key)).to.deep.equal(['u/2.txt']);
    expect(report.removed.map((r) => r.key)).to.deep.equal(['u/3.png']);
  });

  it('ignores the events it does not act on', async () => {
    const report = await audit({ key: 'u/a.jpg', eventName: 'ObjectModified:UpdateObjectMeta' });
    expect(report.ignored).to.deep.equal([
      { bucket: 'testbucket', key: 'u/a.jpg', eventName: 'ObjectModified:UpdateObjectMeta' },
    ]);
    expect(catalog.images.size).to.equal(0);
  });

  it('takes the fields OSS may add to a notification later', async () => {
    const event = fixtures.oss({ key: 'u/a.jpg' }) as unknown as { events: Record<string, unknown>[] };
    event.events[0]!.newField = { added: 'later' };
    const res = await tk.invoke<AuditReport>({ ...event, notificationVersion: 2 });
    expect(res.ok, JSON.stringify(res.error)).to.equal(true);
    expect(res.body.accepted).to.have.length(1);
  });

  it('refuses an event that is not an OSS notification, with the paths of what is wrong, and catalogues nothing', async () => {
    const event = fixtures.oss([{ key: 'u/a.jpg' }, { key: 'u/b.jpg' }]) as unknown as {
      events: { eventName?: string; oss: { object: { key: unknown; size: unknown } } }[];
    };
    delete event.events[0]!.eventName;
    event.events[1]!.oss.object.size = '29203';
    const res = await tk.invoke(event);
    expect(res.ok).to.equal(false);
    expect(res.xFcStatus).to.equal(404);
    expect(res.error?.errorType).to.equal('ValidationError');
    expect(res.error?.errors?.map((e) => e.path)).to.deep.equal(['events.0.eventName', 'events.1.oss.object.size']);
    expect(catalog.images.size + catalog.flagged.size).to.equal(0);

    const timer = await tk.invoke(fixtures.timer());
    expect(timer.error?.errors?.map((e) => e.path)).to.deep.equal(['events']);
  });

  it('refuses a body that is not JSON', async () => {
    expect((await tk.invoke('events=a.jpg')).error?.errorType).to.equal('EventDecodeError');
  });

  it("answers FC's error when the catalog fails, and audits nothing after it", async () => {
    const failing: ImageCatalog = {
      add: async () => {
        throw new Error('catalog unavailable');
      },
      flag: async () => undefined,
      remove: async () => false,
    };
    const broken = createTestKernel(AuditImagesFunction, { overrides: [[IMAGE_CATALOG, { useValue: failing }]] });
    try {
      const res = await broken.invoke(fixtures.oss({ key: 'u/a.jpg' }));
      expect(res.ok).to.equal(false);
      expect(res.error).to.include({ errorType: 'Error', errorMessage: 'catalog unavailable' });
    } finally {
      await broken.close();
    }
  });

  it("answers the sample's event.json: one accepted, one rejected, one removed", async () => {
    const res = await tk.invoke<AuditReport>(readFileSync(join(SAMPLES_DIR, 'oss-image-audit/event.json')));
    expect(res.body).to.deep.equal({
      accepted: [{ bucket: 'my-upload-bucket', key: 'uploads/2024/05/sunset.jpg', type: 'image/jpeg', size: 482113 }],
      rejected: [
        {
          bucket: 'my-upload-bucket',
          key: 'uploads/2024/05/logo.svg',
          reason: '".svg" is not an image type we accept',
        },
      ],
      removed: [{ bucket: 'my-upload-bucket', key: 'uploads/2024/04/old-banner.png', known: false }],
      ignored: [],
    });
    expect(res.logs.at(-2)).to.match(/\[INFO\] audited 3 object\(s\): 1 accepted, 1 rejected, 1 removed$/);
  });
});
