// printf '%s' "$PASSWORD" | npm run users:create -- [--admin] USERNAME
// Creates a user (with --admin: an admin, or makes an existing user an admin after checking its password), reading
// the password from standard input so that it stays out of the shell history and the process list. Prints the id.
import { text } from 'node:stream/consumers'
import { MongoClient } from 'mongodb'
import { loadConfig } from '../config.ts'
import { collections } from '../db/collections.ts'
import { ensureIndexes } from '../db/indexes.ts'
import { passwordManager } from '../plugins/app/password-manager.ts'
import { usersRepository } from '../plugins/app/users-repository.ts'
import { credentialsProblem } from '../schemas/users.ts'

function fail (message: string, code: number): never {
  console.error(message)
  process.exit(code)
}

const args = process.argv.slice(2)
const admin = args.includes('--admin')
const names = args.filter(arg => arg !== '--admin')
if (names.length !== 1 || names[0]!.startsWith('-')) fail('Usage: printf \'%s\' "$PASSWORD" | npm run users:create -- [--admin] USERNAME', 2)
const username = names[0]!
// `echo` adds a line break that is not part of the password; `printf '%s'` adds none.
const password = (await text(process.stdin)).replace(/\r?\n$/, '')
const problem = credentialsProblem(username, password)
if (problem) fail(problem, 2)

const config = loadConfig()
const client = await MongoClient.connect(config.mongodbUrl, { serverSelectionTimeoutMS: 5000 })
try {
  const all = collections(client.db(config.databaseName))
  await ensureIndexes(all)
  const users = usersRepository(all, await passwordManager(), { maxTimeMS: config.mongodbTimeoutMs })
  if (admin) {
    const made = await users.makeAdmin(username, password)
    if (!made) fail(`${username.toLowerCase()} exists and this is not its password; nothing changed.`, 1)
    console.error(made.created ? `Created admin ${made.user.username}.` : `${made.user.username} is now an admin.`)
    console.log(made.user.id)
  } else {
    const created = await users.create(username, password)
    if (!created) fail(`The username ${username.toLowerCase()} is taken; nothing changed.`, 1)
    console.error(`Created user ${created.username}.`)
    console.log(created.id)
  }
} finally {
  await client.close()
}
