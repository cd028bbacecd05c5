import { RefreshRequest, TokenPair } from './auth.ts'
import { Health, Readiness } from './operations.ts'
import { FieldError, Problem } from './problem.ts'
import { RatingInput, RatingSummary, UserRating, UserRatingPage } from './ratings.ts'
import { DifficultyAverage, Song, SongInput, SongListItem, SongPage, SongPatch, SongRating } from './songs.ts'
import { AccountDeletion, AccountExport } from './account-data.ts'
import { UserPage, UserPatch } from './user-directory.ts'
import { Credentials, PasswordChange, User } from './users.ts'

/** Schemas registered with `addSchema`: routes `$ref` them and the OpenAPI document lists them as components. */
export const sharedSchemas = [FieldError, Problem, Song, SongRating, SongListItem, SongPage, DifficultyAverage, RatingInput, RatingSummary, Health, Readiness,
  // Accounts
  Credentials, User, TokenPair, RefreshRequest, PasswordChange,
  // Catalog writes and ratings by users.
  SongInput, SongPatch, UserRating, UserRatingPage,
  // Admins and account data.
  UserPage, UserPatch, AccountDeletion, AccountExport]
