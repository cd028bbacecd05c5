import { Type } from 'typebox'

export const Health = Type.Object({
  status: Type.Literal('ok')
}, { $id: 'Health', additionalProperties: false, description: 'The process is up and its event loop answers.' })

export const Readiness = Type.Object({
  status: Type.Literal('ready'),
  database_ms: Type.Number({ minimum: 0, description: 'How long the MongoDB ping took, in milliseconds.' })
}, { $id: 'Readiness', additionalProperties: false, description: 'The instance can serve requests: MongoDB answered a ping in time.' })
