import { Type, type Static, type TSchema } from 'typebox'

/**
 * A `$ref` to a schema registered with `addSchema`, typed as that schema. Route schemas use it so
 * the OpenAPI document names shared components instead of inlining copies of them.
 */
export function ref<T extends TSchema> (schema: T) {
  const { $id } = schema as { $id?: unknown }
  if (typeof $id !== 'string') throw new TypeError('ref() needs a schema with an $id')
  return Type.Unsafe<Static<T>>(Type.Ref($id))
}
