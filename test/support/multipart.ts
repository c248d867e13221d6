// A small multipart/form-data reader for the fake platforms' upload endpoints (Slack's upload_url, Feishu's
// im/v1/files): the parts with their names, file names and raw bytes.

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]!).trim() : null;
}

/** The parts of a multipart body; an empty list when the body is not multipart. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary || !/multipart\/form-data/i.test(contentType)) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // The part ends with CRLF before the next delimiter.
    const part = body.subarray(start, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const type = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1];
      parts.push({
        name,
        ...(filename !== undefined ? { filename } : {}),
        ...(type ? { contentType: type.trim() } : {}),
        data: Buffer.from(part.subarray(headerEnd + 4)),
      });
    }
    pos = next;
  }
  return parts;
}
