import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import { asRecord } from './applicant-review';
import type { SeedFiles } from './types';

type Rgb = readonly [number, number, number];

const PAPER: Rgb = [226, 232, 240];
const INK: Rgb = [71, 85, 105];
const SHADE: Rgb = [148, 163, 184];

/** Identity documents that have a back side worth a second image. */
const TWO_SIDED = new Set(['ID_CARD', 'DRIVERS', 'RESIDENCE_PERMIT']);
/** Sumsub document types that prove an address. */
export const PROOF_OF_ADDRESS_TYPES: ReadonlySet<string> = new Set([
  'UTILITY_BILL', 'BANK_STATEMENT', 'PROOF_OF_RESIDENCE',
]);

/**
 * Placeholder documents for a seeded applicant, chosen from its `idDocs` the
 * way Sumsub would hold them: a passport has no back (KRAKEN.md §1.4), a card
 * has two sides, and only a proof-of-address document gives a PDF.
 */
export function sampleDocuments(applicant: Record<string, unknown>): SeedFiles {
  const idDocs = asRecord(applicant.info).idDocs;
  const types = Array.isArray(idDocs) ? idDocs.map((doc) => asRecord(doc).idDocType) : [];
  const files: SeedFiles = {
    idFront: { contentType: 'image/png', bytes: cardFrontPng() },
    selfie: { contentType: 'image/png', bytes: selfiePng() },
  };
  if (types.some((type) => TWO_SIDED.has(String(type)))) {
    files.idBack = { contentType: 'image/png', bytes: cardBackPng() };
  }
  if (types.some((type) => PROOF_OF_ADDRESS_TYPES.has(String(type)))) {
    files.proofOfResidence = { contentType: 'application/pdf', bytes: samplePdf() };
  }

  return files;
}

/** An identity card front: a photo box and three text bars, nothing legible. */
export function cardFrontPng(): Buffer {
  return png(120, 76, (x, y) => {
    if (isBorder(x, y, 120, 76)) return INK;
    if (x >= 10 && x < 40 && y >= 14 && y < 58) return SHADE;
    if (x >= 50 && x < 108 && [18, 30, 42].some((top) => y >= top && y < top + 4)) return INK;

    return PAPER;
  });
}

/** An identity card back: a machine-readable-zone band of dashes. */
export function cardBackPng(): Buffer {
  return png(120, 76, (x, y) => {
    if (isBorder(x, y, 120, 76)) return INK;
    if (y >= 50 && y < 68 && x >= 8 && x < 112) return (x >> 2) % 2 === 0 ? INK : SHADE;

    return PAPER;
  });
}

/** A selfie: a head-and-shoulders silhouette. */
export function selfiePng(): Buffer {
  return png(64, 64, (x, y) => {
    const head = (x - 32) ** 2 + (y - 26) ** 2 <= 12 ** 2;
    const shoulders = ((x - 32) / 24) ** 2 + ((y - 64) / 18) ** 2 <= 1;

    return head || shoulders ? SHADE : PAPER;
  });
}

/** A one-page PDF that only says what it is; byte offsets in `xref` are exact. */
export function samplePdf(): Buffer {
  const text = 'BT /F1 16 Tf 72 760 Td (Kraken emulator sample: proof of residence) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R ' +
      '/Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, index) => {
    const offset = pdf.length;
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xrefOffset = pdf.length;
  // Each xref entry is exactly 20 bytes, end-of-line included (PDF 1.7 §7.5.4).
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries.join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\n`;
  pdf += `startxref\n${xrefOffset}\n%%EOF\n`;

  return Buffer.from(pdf, 'latin1');
}

/** Filler for large test files: byte `n` of the stream is `n & 0xff`. */
const FILLER = Buffer.from(Array.from({ length: 64 * 1024 }, (_, index) => index & 0xff));

/**
 * `sizeBytes` of filler, produced chunk by chunk as the consumer reads, so a
 * large file costs one 64 KiB buffer rather than its whole size.
 */
export function generatedBytes(sizeBytes: number): Readable {
  let remainingBytes = sizeBytes;

  return new Readable({
    read() {
      if (remainingBytes <= 0) {
        this.push(null);
        return;
      }
      const length = Math.min(remainingBytes, FILLER.length);
      remainingBytes -= length;
      this.push(FILLER.subarray(0, length));
    },
  });
}

function isBorder(x: number, y: number, width: number, height: number): boolean {
  return x < 2 || y < 2 || x >= width - 2 || y >= height - 2;
}

/** An 8-bit RGB PNG (ISO/IEC 15948): signature, IHDR, one IDAT, IEND. */
function png(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const rowBytes = 1 + width * 3;
  const raw = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y += 1) {
    // Filter type 0 (none) leads every scanline.
    for (let x = 0; x < width; x += 1) raw.set(pixel(x, y), y * rowBytes + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);

  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));

  return Buffer.concat([length, typeAndData, crc]);
}
