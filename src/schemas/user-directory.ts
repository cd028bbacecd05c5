import { Type } from 'typebox'
import { TEXT_CURSOR_PATTERN } from '../lib/cursor.ts'
import { ref } from './ref.ts'
import { Role, User, USERNAME_MAX } from './users.ts'

export const UserIdParams = Type.Object({
  user_id: Type.String({ pattern: '^[0-9a-f]{24}$', description: 'The user\'s id: a 24-character hexadecimal ObjectId.' })
})

export const UsersQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Users per page: 1 to 100, 20 when omitted.' }),
  cursor: Type.Optional(Type.String({ pattern: TEXT_CURSOR_PATTERN, description: 'The `next_cursor` of the previous page (base64url); omit for the first page.' })),
  username: Type.Optional(Type.String({
    minLength: 1,
    maxLength: USERNAME_MAX,
    pattern: '^[A-Za-z0-9_.-]+$',
    description: 'Only users whose name starts with this, in any case (`AL` finds `alice`).'
  }))
}, { additionalProperties: false })

export const UserPage = Type.Object({
  items: Type.Array(ref(User)),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` (with the same `username`) to get the next page; `null` on the last page.' })
}, { $id: 'UserPage', additionalProperties: false })

export const UserPatch = Type.Object({
  roles: Type.Optional(Type.Array(Role, {
    uniqueItems: true,
    maxItems: 2,
    description: 'The account\'s roles: with `admin` it is an admin, without it not; every account keeps `user`.'
  })),
  disabled: Type.Optional(Type.Boolean({ description: '`true`: the account cannot sign in and every token of it is refused from its next request on; `false` lets it sign in again (its old tokens stay refused).' }))
}, { $id: 'UserPatch', additionalProperties: false, minProperties: 1 })
