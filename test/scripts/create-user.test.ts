import { ObjectId } from 'mongodb'
import t from 'tap'
import { testDatabase } from '../helper.ts'
import { runScript } from '../run-script.ts'

const PASSWORD = 'a long admin password'

t.test('users:create --admin creates an admin from the password on stdin, prints its id, and the admin can sign in', async t => {
  const { url, collections } = await testDatabase(t)
  const run = await runScript('src/scripts/create-user.ts', ['--admin', 'Root'], { MONGODB_URL: url }, PASSWORD)
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /^[0-9a-f]{24}\n$/, 'prints the id, and only that, on stdout')
  t.match(run.stderr, /Created admin root/)
  t.notMatch(run.stdout + run.stderr, /long admin password/)
  const stored = await collections.users.findOne({ _id: new ObjectId(run.stdout.trim()) })
  t.match(stored, { username: 'root', roles: ['user', 'admin'], password_hash: /^\$argon2id\$/ })
})

t.test('users:create --admin adds admin to an existing user after checking its password', async t => {
  const { url, collections } = await testDatabase(t)
  const plain = await runScript('src/scripts/create-user.ts', ['dana'], { MONGODB_URL: url }, `${PASSWORD}\n`)
  t.equal(plain.code, 0, plain.stderr)
  t.match(await collections.users.findOne({ username: 'dana' }), { roles: ['user'] }, 'without --admin: a plain user (echo\'s line break is not part of the password)')
  const wrong = await runScript('src/scripts/create-user.ts', ['--admin', 'dana'], { MONGODB_URL: url }, 'not the password at all')
  t.equal(wrong.code, 1)
  t.match(wrong.stderr, /not its password; nothing changed/)
  t.match(await collections.users.findOne({ username: 'dana' }), { roles: ['user'] }, 'unchanged')
  const right = await runScript('src/scripts/create-user.ts', ['--admin', 'DANA'], { MONGODB_URL: url }, PASSWORD)
  t.equal(right.code, 0, right.stderr)
  t.equal(right.stdout.trim(), plain.stdout.trim(), 'the same account')
  t.match(right.stderr, /dana is now an admin/)
  t.match(await collections.users.findOne({ username: 'dana' }), { roles: ['user', 'admin'] })
  const again = await runScript('src/scripts/create-user.ts', ['--admin', 'dana'], { MONGODB_URL: url }, PASSWORD)
  t.equal(again.code, 0, 'making an admin an admin again is fine')
  t.match(await collections.users.findOne({ username: 'dana' }), { roles: ['user', 'admin'] }, 'admin is not added twice')
})

t.test('bad names, bad passwords and bad usage exit non-zero with a message and store nothing', async t => {
  const { url, collections } = await testDatabase(t)
  const cases: [string[], string, RegExp][] = [
    [['--admin', 'ab'], PASSWORD, /username must be 3–32/],
    [['--admin', '-x-'], PASSWORD, /Usage/],
    [['--admin', 'bad name'], PASSWORD, /username must be/],
    [['--admin', 'eve'], 'short', /password must be 12–128 characters \(it has 5\)/],
    [['--admin', 'eve'], '', /password must be 12–128 characters \(it has 0\)/],
    [['--admin', 'eve'], 'x'.repeat(129), /it has 129/],
    [['--admin'], PASSWORD, /Usage/],
    [['--admin', 'eve', 'mallory'], PASSWORD, /Usage/]
  ]
  for (const [args, input, message] of cases) {
    const run = await runScript('src/scripts/create-user.ts', args, { MONGODB_URL: url }, input)
    t.equal(run.code, 2, args.join(' '))
    t.match(run.stderr, message, args.join(' '))
  }
  const taken = await runScript('src/scripts/create-user.ts', ['frank'], { MONGODB_URL: url }, PASSWORD)
  t.equal(taken.code, 0)
  const twice = await runScript('src/scripts/create-user.ts', ['Frank'], { MONGODB_URL: url }, PASSWORD)
  t.equal(twice.code, 1)
  t.match(twice.stderr, /frank is taken/)
  t.equal(await collections.users.countDocuments(), 1)
})
