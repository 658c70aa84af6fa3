import { NextResponse } from 'next/server';
import { errorResponse } from '../../auth/route';
import { ImportRefusedError, MappingError } from './jobs';

/** Errors of the import routes as JSON: the report or the mapping's problems travel with a refusal. */
export function importErrorResponse(error: unknown): Response {
  if (error instanceof ImportRefusedError) return NextResponse.json({ error: error.message, report: error.report }, { status: 422 });
  if (error instanceof MappingError) return NextResponse.json({ error: error.message, problems: error.problems }, { status: 422 });
  return errorResponse(error);
}

/** The file name the page sends in X-File-Name (URI-encoded), or a default. */
export function fileNameFrom(header: string | null): string {
  if (!header) return 'upload.csv';
  try {
    return decodeURIComponent(header).replace(/[\r\n]/g, ' ').slice(0, 255);
  } catch {
    return header.slice(0, 255);
  }
}
