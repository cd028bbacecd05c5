import FindMyWay, { type HTTPMethod } from 'find-my-way'
import { problem, type Problem } from './problems/problem.ts'

/**
 * The methods each path is served with, matched the way Fastify's own router (find-my-way) matches paths: what a
 * 405's `Allow` lists, and what tells a wrong method on a real path (405) from a path nothing serves (404).
 * A fixed path (`/songs/search`) is that resource only: a parameter beside it (`/songs/:song_id`) also matches
 * it for the parameter's methods, but PATCH /songs/search is a wrong method on the search, not a song named "search".
 */
export class RouteMethods {
  readonly #router = FindMyWay()
  readonly #methods = new Set<HTTPMethod>()
  readonly #routes = new Set<string>()
  readonly #fixedPaths = new Set<string>()

  add (methods: string[], url: string): void {
    for (const method of methods as HTTPMethod[]) {
      const route = `${method} ${url}`
      if (this.#routes.has(route)) continue
      this.#routes.add(route)
      this.#methods.add(method)
      this.#router.on(method, url, () => {})
    }
    if (!/[:*]/.test(url)) this.#fixedPaths.add(url)
  }

  /** Whether `path` is a route's fixed path, such as `/songs/search`. */
  isFixed (path: string): boolean {
    return this.#fixedPaths.has(path)
  }

  /**
   * The methods served at a request target (its query ignored), but for OPTIONS, which CORS answers on every path
   * when it is enabled; in alphabetical order, empty when no other method is served there.
   */
  allowed (target: string): string[] {
    const path = pathOf(target)
    const fixed = this.isFixed(path)
    return [...this.#methods].filter(method => method !== 'OPTIONS' && this.#serves(method, path, fixed)).sort()
  }

  #serves (method: HTTPMethod, path: string, fixed: boolean): boolean {
    try {
      const found = this.#router.find(method, path)
      return found !== null && (!fixed || Object.keys(found.params).length === 0)
    } catch {
      return false // a target that cannot be decoded matches no route
    }
  }
}

/** A request target's path: the target without its query. */
export function pathOf (target: string): string {
  return target.split('?', 1)[0]!
}

/** The answer to `method` at `target` when no route serves that pair: 405 with `Allow` on a served path, else 404. */
export function unroutedProblem (routes: RouteMethods, method: string, target: string): { problem: Problem, allow?: string } {
  const allowed = routes.allowed(target)
  if (allowed.length === 0) return { problem: problem(404, 'NOT_FOUND', `No route answers ${method} at this path.`) }
  const allow = allowed.join(', ')
  return { problem: problem(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${allow}.`), allow }
}
