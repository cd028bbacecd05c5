import { readFile } from 'node:fs/promises'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { OpenAPI3, OperationObject, ParameterObject, ResponseObject } from 'openapi-typescript'
import { OPENAPI_FILE } from '../../src/openapi.ts'

export const committedSpecText = readFile(OPENAPI_FILE, 'utf8')
export const committedSpec: Promise<OpenAPI3> = committedSpecText.then(text => JSON.parse(text) as OpenAPI3)

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const

export interface Operation {
  method: string
  path: string
  operation: OperationObject
  /** JSON pointer of the operation in the document. */
  pointer: string
}

const escape = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1')

export function operationsOf (spec: OpenAPI3): Operation[] {
  return Object.entries(spec.paths ?? {}).flatMap(([path, item]) => METHODS
    .filter(method => (item as Record<string, unknown>)[method] !== undefined)
    .map(method => ({
      method: method.toUpperCase(),
      path,
      operation: (item as Record<string, OperationObject>)[method]!,
      pointer: `#/paths/${escape(path)}/${method}`
    })))
}

/** The parameters of an operation; the document inlines them (it has no parameter components). */
export function parametersOf (operation: OperationObject): ParameterObject[] {
  return (operation.parameters ?? []) as ParameterObject[]
}

/** The operation whose path template matches a concrete path, e.g. `/songs/avg/rating/{song_id}`. */
function findOperation (operations: Operation[], method: string, path: string): Operation | undefined {
  return operations.find(candidate => candidate.method === method &&
    new RegExp(`^${candidate.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path))
}

/**
 * Validates a real answer against the response the document declares for its operation and status: the status
 * must be documented, the media type declared, the body valid against that media type's schema. Uses Ajv with
 * the whole document loaded, so `$ref`s resolve to the document's own components.
 */
export async function responseValidator () {
  const spec = await committedSpec
  const operations = operationsOf(spec)
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema(spec as object, 'openapi.json')

  return function validate (method: string, url: string, status: number, contentType: string | null, body: unknown): string[] {
    const path = new URL(url, 'http://localhost').pathname
    const found = findOperation(operations, method, path)
    if (!found) return [`${method} ${path} is not in openapi/openapi.json`]
    const response = found.operation.responses?.[String(status)] as ResponseObject | undefined
    if (!response) return [`${found.operation.operationId} does not document status ${status}`]
    // A response documented without content (204) must come without a body.
    if (!response.content) return body === '' ? [] : [`${found.operation.operationId} ${status} documents no body, but one came`]
    const mediaType = contentType?.split(';')[0]?.trim() ?? ''
    if (!response.content[mediaType]) {
      return [`${found.operation.operationId} ${status} documents ${Object.keys(response.content ?? {}).join(', ')}, not ${mediaType}`]
    }
    const pointer = `${found.pointer}/responses/${status}/content/${escape(mediaType)}/schema`
    const check = ajv.getSchema(`openapi.json${pointer}`) ?? ajv.compile({ $ref: `openapi.json${pointer}` })
    if (check(body)) return []
    return (check.errors ?? []).map(error => `${found.operation.operationId} ${status}: ${error.instancePath || '(body)'} ${error.message}`)
  }
}
