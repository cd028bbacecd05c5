import { ObjectId } from 'mongodb'
import t from 'tap'
import { CURSOR_PATTERN, decodeCursor, encodeCursor } from '../../src/lib/cursor.ts'

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
