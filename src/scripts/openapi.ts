import { writeFile } from 'node:fs/promises'
import { OPENAPI_FILE, openapiDocument, serializeOpenapi } from '../openapi.ts'

// `npm run openapi`: regenerates the committed OpenAPI document from the route schemas; needs no database.
await writeFile(OPENAPI_FILE, serializeOpenapi(await openapiDocument()))
process.stdout.write(`wrote ${OPENAPI_FILE.pathname}\n`)
