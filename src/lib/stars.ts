/** Whole stars, 1 to 5: a rating, and the keys of a summary's distribution. */
export const STARS = [1, 2, 3, 4, 5] as const

export type Stars = typeof STARS[number]
