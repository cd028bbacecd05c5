import AjvCompiler from '@fastify/ajv-compiler'
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify'

export const ajvOptions = { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true } } as const

type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null }

/**
 * Ajv coerces "1e400" to Infinity and then skips `minimum`/`maximum`, which only look at finite numbers;
 * a non-finite number in a query string or path is rejected here instead of reaching a query.
 */
function finiteOnly (validate: Validate): Validate {
  const checked: Validate = (data: unknown) => {
    const valid = validate(data)
    checked.errors = validate.errors
    if (valid !== true) return valid
    const bad = Object.entries(data as object).find(([, value]) => typeof value === 'number' && !Number.isFinite(value))
    if (!bad) return true
    checked.errors = [{ instancePath: `/${bad[0]}`, schemaPath: '#/type', keyword: 'type', params: {}, message: 'must be a finite number' }]
    return false
  }
  return checked
}

/**
 * Query strings and paths are text, so their numbers are coerced; a JSON body is not: `"rating": "5"` is a 400.
 * Each part gets its own Ajv; both know the shared schemas.
 */
export function buildValidator (externalSchemas: Parameters<AjvCompiler.BuildCompilerFromPool>[0], options?: object): FastifySchemaCompiler<unknown> {
  const coercing = AjvCompiler()(externalSchemas, options) as unknown as FastifySchemaCompiler<unknown>
  const strict = AjvCompiler()(externalSchemas, { ...options, customOptions: { ...ajvOptions.customOptions, coerceTypes: false } }) as unknown as FastifySchemaCompiler<unknown>
  return route => route.httpPart === 'body' ? strict(route) : finiteOnly(coercing(route) as unknown as Validate)
}
