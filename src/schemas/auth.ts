import { Type } from 'typebox'

export const RefreshToken = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'The `refresh_token` of the last token answer.'
})

export const RefreshRequest = Type.Object({ refresh_token: RefreshToken }, { $id: 'RefreshRequest', additionalProperties: false })

export const TokenPair = Type.Object({
  access_token: Type.String({ description: 'A JWT (HS256, its header\'s `kid` naming the signing key) carrying `sub` (the user id), `session_version`, `iat` and `exp`; send it as `Authorization: Bearer …`. Roles are not in it: the API reads them from the account at every request.' }),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ minimum: 1, description: 'Seconds until the access token expires.' }),
  refresh_token: Type.String({ description: 'Exchange it once at `POST /auth/refresh` for a new pair; opaque, random.' })
}, { $id: 'TokenPair', additionalProperties: false })
