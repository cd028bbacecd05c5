import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'

/** The committed OpenAPI document; `npm run openapi` writes it, a test fails when it differs from the code. */
export const OPENAPI_FILE = new URL('../openapi/openapi.json', import.meta.url)

/** The OpenAPI document the routes describe, built from the default configuration without a database. */
export async function openapiDocument (): Promise<object> {
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }), {}, { database: false })
  try {
    await app.ready()
    return app.swagger()
  } finally {
    await app.close()
  }
}

/** The file's exact text, so that regenerating an unchanged API changes no byte. */
export function serializeOpenapi (document: object): string {
  return `${JSON.stringify(document, null, 2)}\n`
}
