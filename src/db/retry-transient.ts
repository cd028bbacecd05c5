import { setTimeout as sleep } from 'node:timers/promises'
import { isTransient } from './engine-errors.ts'

export interface RetryOptions {
  /** How many times the command is sent at most. */
  attempts?: number
  /** The wait before the second attempt; each later wait doubles it. */
  firstDelayMs?: number
}

/**
 * Runs `command`, and again after a growing wait while the engine refuses it for a passing reason (a deadlock, a
 * lock: `isTransient`), a bounded number of times; any other refusal, or the last transient one, is thrown.
 */
export async function retryingTransient<T> (command: () => Promise<T>, { attempts = 5, firstDelayMs = 100 }: RetryOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await command()
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error
      await sleep(firstDelayMs * 2 ** (attempt - 1))
    }
  }
}
