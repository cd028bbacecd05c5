/** The two successes of an account deletion: everything done, or the account gone and its ratings still leaving the summaries. */
export const deletionResponses = {
  202: { description: 'The account is deleted (no sign-in, tokens refused, name free); its ratings are still being taken out of the summaries, in the background.', type: 'null' },
  204: { description: 'The account is deleted and its ratings are out of every summary.', type: 'null' }
} as const
