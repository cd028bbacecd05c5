/**
 * A user signed up on the bench server at `url`, who has rated every third song of the first page (so a signed-in
 * page shows some `my_rating`s): the signed-in rows' bearer token. Every request with it also checks the token (a
 * point read of the user), as any signed-in request does.
 */
export async function signedInListener (url: string): Promise<Record<string, string>> {
  const credentials = { username: `bench${Date.now()}`, password: 'bench-listener-password' }
  const post = async (path: string, body: object, headers: Record<string, string> = {}) => {
    const answer = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
    if (!answer.ok) throw new Error(`POST ${path}: ${answer.status} ${await answer.text()}`)
    return answer
  }
  await post('/users', credentials)
  const { access_token: token } = await (await post('/auth/token', credentials)).json() as { access_token: string }
  const authorization = { authorization: `Bearer ${token}` }
  const { items } = await (await fetch(`${url}/songs?limit=40`)).json() as { items: { id: string }[] }
  for (const [i, song] of items.entries()) if (i % 3 === 0) await post('/songs/rating', { song_id: song.id, rating: 4 }, authorization)
  return authorization
}
