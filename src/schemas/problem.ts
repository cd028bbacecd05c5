import { Type } from 'typebox'
import { ref } from './ref.ts'

export const FieldError = Type.Object({
  field: Type.String({ description: 'Where the bad value is: `body.rating`, `querystring.limit`, …' }),
  message: Type.String()
}, { $id: 'FieldError', additionalProperties: false })

export const Problem = Type.Object({
  type: Type.String({ description: 'A URI naming the kind of problem.' }),
  title: Type.String({ description: 'Short, human-readable summary of the kind of problem.' }),
  status: Type.Integer({ description: 'The HTTP status code of this answer.' }),
  detail: Type.String({ description: 'What went wrong with this request.' }),
  code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', description: 'Stable machine-readable code, e.g. `VALIDATION_FAILED`.' }),
  errors: Type.Optional(Type.Array(ref(FieldError), { description: 'Each failing field, for `VALIDATION_FAILED`.' }))
}, { $id: 'Problem', additionalProperties: false, description: 'An RFC 9457 problem detail; every non-2xx answer has this shape.' })
