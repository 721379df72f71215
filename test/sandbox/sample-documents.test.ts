import { crc32, inflateSync } from 'node:zlib';
import {
  cardBackPng,
  cardFrontPng,
  generatedBytes,
  sampleDocuments,
  samplePdf,
  selfiePng,
} from '../../src/sandbox/sample-documents';
import { fixtureJson } from '../helpers/fixtures';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface PngChunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

function pngChunks(png: Buffer): PngChunk[] {
  const chunks: PngChunk[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    const crc = png.readUInt32BE(offset + 8 + length);
    chunks.push({
      type: typeAndData.subarray(0, 4).toString('latin1'),
      data: typeAndData.subarray(4),
      crcOk: crc32(typeAndData) === crc,
    });
    offset += 12 + length;
  }

  return chunks;
}

describe('sample documents', () => {
  it.each([
    ['card front', cardFrontPng(), 120, 76],
    ['card back', cardBackPng(), 120, 76],
    ['selfie', selfiePng(), 64, 64],
  ])('makes the %s a well-formed RGB PNG', (_name, png, width, height) => {
    const chunks = pngChunks(png);
    const header = chunks[0].data;
    const idat = chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data);
    const pixels = inflateSync(Buffer.concat(idat));
    const dimensions = [header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]];

    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.every((chunk) => chunk.crcOk)).toBe(true);
    expect(dimensions).toEqual([width, height, 8, 2]);
    expect(pixels.length).toBe((1 + width * 3) * height);
  });

  it('makes a PDF whose xref offsets point at its objects', () => {
    const pdf = samplePdf().toString('latin1');
    const startXref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)?.[1]);
    const entries = pdf.slice(startXref).split('\n').slice(3, 8);

    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf.slice(startXref, startXref + 4)).toBe('xref');
    entries.forEach((entry, index) => {
      const offset = Number(entry.slice(0, 10));
      expect(`${entry}\n`).toHaveLength(20);
      expect(pdf.slice(offset).startsWith(`${index + 1} 0 obj`)).toBe(true);
    });
    expect(pdf).toContain('Kraken emulator sample');
  });

  it('generates exactly sizeBytes of filler in 64 KiB chunks', async () => {
    const sizes: number[] = [];
    for await (const chunk of generatedBytes(64 * 1024 * 2 + 5)) {
      sizes.push((chunk as Buffer).length);
    }

    expect(sizes).toEqual([65_536, 65_536, 5]);
  });

  it('gives a passport holder no idBack, and a card holder one', () => {
    const passport = sampleDocuments(fixtureJson('kraken', 'data-approved.json'));
    const card = sampleDocuments(fixtureJson('kraken', 'data-pending.json'));

    expect(Object.keys(passport).sort()).toEqual(['idFront', 'proofOfResidence', 'selfie']);
    expect(passport.proofOfResidence?.contentType).toBe('application/pdf');
    expect(Object.keys(card).sort()).toEqual(['idBack', 'idFront', 'selfie']);
  });
});
