import t from 'tap'
import { inSpan } from '../../src/tracing/spans.ts'

t.test('with tracing off, inSpan hands back the function itself: no tracing work on the request path', async t => {
  const work = async (n: number) => n * 2
  t.equal(inSpan('work', {}, work), work)
  t.equal(await inSpan('work', {}, work)(21), 42)
})
