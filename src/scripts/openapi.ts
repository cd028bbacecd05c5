import { writeFile } from 'node:fs/promises'
import { OPENAPI_FILE, OPENAPI_TYPES_FILE, openapiDocument, openapiTypes, serializeOpenapi } from '../openapi.ts'

// `npm run openapi`: regenerates the committed OpenAPI document from the route schemas, and the client types
// from the document. Needs no database.
const document = await openapiDocument()
await writeFile(OPENAPI_FILE, serializeOpenapi(document))
await writeFile(OPENAPI_TYPES_FILE, await openapiTypes(document))
process.stdout.write(`wrote ${OPENAPI_FILE.pathname} and ${OPENAPI_TYPES_FILE.pathname}\n`)
