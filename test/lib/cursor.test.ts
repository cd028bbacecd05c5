import { ObjectId } from 'mongodb'
import t from 'tap'
import { CURSOR_PATTERN, decodeCursor, decodeTextCursor, encodeCursor, encodeTextCursor, TEXT_CURSOR_PATTERN } from '../../src/lib/cursor.ts'

t.test('a cursor round-trips to the same ObjectId and matches the schema pattern', async t => {
  for (let i = 0; i < 50; i++) {
    const id = new ObjectId()
    const cursor = encodeCursor(id)
    t.match(cursor, new RegExp(CURSOR_PATTERN))
    t.ok(decodeCursor(cursor).equals(id))
  }
})

t.test('a string that is not a cursor is rejected', async t => {
  for (const bad of ['', 'abc', 'awJU6euGa7HlURsm=', 'awJU6euGa7HlURs+', '0123456789abcdef0123456789abcdef']) {
    t.throws(() => decodeCursor(bad), RangeError, JSON.stringify(bad))
  }
})

t.test('a text cursor round-trips every username, from 3 to 32 characters, and rejects what is not one', async t => {
  for (const name of ['al3', 'alice', 'a.b-c_d', 'x'.repeat(32), '0123456789abcdefghijklmnopqrstuv']) {
    const cursor = encodeTextCursor(name)
    t.match(cursor, new RegExp(TEXT_CURSOR_PATTERN), name)
    t.equal(decodeTextCursor(cursor), name)
  }
  for (const bad of ['', 'a', 'a+b', 'abc=', 'x'.repeat(65)]) t.throws(() => decodeTextCursor(bad), RangeError, JSON.stringify(bad))
})
