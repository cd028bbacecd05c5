import fc from 'fast-check'
import { ObjectId } from 'mongodb'
import t from 'tap'
import { CURSOR_PATTERN, decodeCursor, encodeCursor } from '../../src/lib/cursor.ts'
import { buildTestApp, json } from '../helper.ts'

const cursorPattern = new RegExp(CURSOR_PATTERN)
const percentEncoded = (text: string) => [...Buffer.from(text)].map(byte => `%${byte.toString(16).padStart(2, '0')}`).join('')

t.test('every ObjectId round-trips through its cursor', async t => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 12, maxLength: 12 }), bytes => {
    const id = new ObjectId(bytes)
    const cursor = encodeCursor(id)
    return cursorPattern.test(cursor) && decodeCursor(cursor).equals(id)
  }), { numRuns: 1000 })
  t.pass('1000 random ObjectIds')
})

t.test('every string that is not a cursor is rejected by decodeCursor', async t => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }).filter(s => !cursorPattern.test(s)), text => {
    try {
      decodeCursor(text)
      return false
    } catch (error) {
      return error instanceof RangeError
    }
  }), { numRuns: 1000 })
  t.pass('1000 random non-cursor strings')
})

t.test('through the API, any other string as cursor is a 400 problem and any well-formed one a 200, never a 500', async t => {
  const app = await buildTestApp(t)
  const runs = 150
  const statuses = new Map<number, number>()
  await fc.assert(fc.asyncProperty(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.string({ unit: fc.constantFrom(...'ABCxyz019_-'), minLength: 16, maxLength: 16 }),
      fc.string({ unit: fc.constantFrom(...'ABCxyz019_-+/=. '), minLength: 14, maxLength: 18 })
    ),
    fc.constantFrom('/songs', '/songs/search?message=the'),
    async (cursor, route) => {
      const response = await app.inject(`${route}${route.includes('?') ? '&' : '?'}cursor=${percentEncoded(cursor)}`)
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
      if (cursorPattern.test(cursor)) return response.statusCode === 200
      return response.statusCode === 400 && json(response).code === 'VALIDATION_FAILED' &&
        response.headers['content-type'] === 'application/problem+json; charset=utf-8'
    }
  ), { numRuns: runs })
  t.comment(`${runs} random cursors: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}`)
  t.notOk(statuses.has(500))
})
