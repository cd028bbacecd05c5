import { Type } from 'typebox'

export const USERNAME_MIN = 3
export const USERNAME_MAX = 32
// ASCII only, so lower-casing is exact and no two names look alike.
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]*$'
export const PASSWORD_MIN = 12
export const PASSWORD_MAX = 128

export const Username = Type.String({
  minLength: USERNAME_MIN,
  maxLength: USERNAME_MAX,
  pattern: USERNAME_PATTERN,
  description: `${USERNAME_MIN}–${USERNAME_MAX} characters of \`a-z 0-9 _ . -\`, starting with a letter or digit. ` +
    'Case does not matter: `Alice` and `alice` are one account, stored as `alice`.'
})

export const Password = Type.String({
  minLength: PASSWORD_MIN,
  maxLength: PASSWORD_MAX,
  description: `${PASSWORD_MIN}–${PASSWORD_MAX} characters (Unicode characters, not bytes); any characters.`
})

export const Credentials = Type.Object({
  username: Username,
  password: Password
}, { $id: 'Credentials', additionalProperties: false })

export const PasswordChange = Type.Object({
  // Checked, not held to today's rules: any password the account could have.
  current_password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX, description: 'The password the account has now.' }),
  new_password: Password
}, { $id: 'PasswordChange', additionalProperties: false })

export const Role = Type.Union([Type.Literal('user'), Type.Literal('admin')], { description: '`admin` may change the catalog.' })

export const User = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f]{24}$', description: 'The user\'s id: a 24-character hexadecimal ObjectId.' }),
  username: Type.String({ description: 'Lower-case.' }),
  roles: Type.Array(Role),
  created_at: Type.String({ format: 'date-time' }),
  disabled: Type.Boolean({ description: 'A disabled account cannot sign in, and its tokens are refused.' })
}, { $id: 'User', additionalProperties: false })

/** Why `username` and `password` cannot make an account, for callers outside HTTP validation (the CLI); undefined when they can. */
export function credentialsProblem (username: string, password: string): string | undefined {
  if (username.length < USERNAME_MIN || username.length > USERNAME_MAX || !new RegExp(USERNAME_PATTERN).test(username)) {
    return `The username must be ${USERNAME_MIN}–${USERNAME_MAX} characters of a-z 0-9 _ . -, starting with a letter or digit.`
  }
  const characters = [...password].length
  if (characters < PASSWORD_MIN || characters > PASSWORD_MAX) return `The password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters (it has ${characters}).`
  return undefined
}
