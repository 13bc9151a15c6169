import { get } from '../../app/api.ts';

/** A JSON Schema node as the OpenAPI document gives it (only what the forms use). */
export interface SchemaNode {
  type?: string;
  enum?: string[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

interface OpenApi {
  paths: Record<string, Record<string, { operationId?: string; requestBody?: { content?: Record<string, { schema?: SchemaNode }> } }>>;
}

let doc: Promise<OpenApi> | null = null;

/** The input schema of each lifecycle action, read from the API's own OpenAPI document (no form is hard-coded). */
export async function actionSchema(action: string): Promise<SchemaNode> {
  doc ??= get<OpenApi>('/api/openapi.json');
  doc.catch(() => (doc = null));
  const d = await doc;
  const op = d.paths[`/api/complaints/{reference}/${action.replaceAll('_', '-')}`]?.post;
  return op?.requestBody?.content?.['application/json']?.schema ?? { type: 'object', properties: {} };
}

export const actionPath = (reference: string, action: string) => `/api/complaints/${encodeURIComponent(reference)}/${action.replaceAll('_', '-')}`;
