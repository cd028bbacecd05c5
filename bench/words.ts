// Word pools for synthetic songs: English-looking names and titles, with a few accented words so
// search folding is exercised, and common words ("the", "love") so some search prefixes are very frequent.

export const FIRST_NAMES = [
  'Ada', 'Alex', 'Amara', 'Ana', 'Ari', 'Bea', 'Ben', 'Bo', 'Cam', 'Cleo', 'Dana', 'Dev', 'Eli', 'Ella', 'Emil',
  'Eva', 'Finn', 'Gus', 'Hana', 'Ida', 'Ivo', 'Jade', 'Jon', 'Juno', 'Kai', 'Kit', 'Lea', 'Leo', 'Lou', 'Luz',
  'Mae', 'Max', 'Mia', 'Milo', 'Nia', 'Noa', 'Otto', 'Pia', 'Ray', 'Rio', 'Rosa', 'Sam', 'Sol', 'Tess', 'Theo',
  'Uma', 'Vera', 'Wes', 'Zoë', 'Zé'
]

export const LAST_NAMES = [
  'Adler', 'Baker', 'Blackwood', 'Brandt', 'Carter', 'Castillo', 'Dahl', 'Ekberg', 'Fastfinger', 'Fontaine',
  'García', 'Hale', 'Holm', 'Ibarra', 'Jansen', 'Kowalski', 'Lindqvist', 'Marsh', 'Moreau', 'Nakamura', 'Novak',
  'Okafor', 'Parker', 'Quinn', 'Reyes', 'Rossi', 'Santos', 'Silva', 'Strand', 'Tanaka', 'Vance', 'Virtanen',
  'Weber', 'Young', 'Zimmer'
]

export const BAND_NOUNS = [
  'Anchors', 'Arrows', 'Comets', 'Coyotes', 'Drifters', 'Echoes', 'Embers', 'Foxes', 'Giants', 'Harbors',
  'Hollows', 'Lanterns', 'Magpies', 'Monarchs', 'Nomads', 'Owls', 'Pilots', 'Ravens', 'Rivals', 'Saints',
  'Sirens', 'Sparrows', 'Strangers', 'Tides', 'Wanderers', 'Wolves', 'Yousicians'
]

export const ADJECTIVES = [
  'Bright', 'Broken', 'Burning', 'Cold', 'Crimson', 'Dark', 'Electric', 'Endless', 'Faded', 'Golden', 'Hidden',
  'Hollow', 'Lonely', 'Lost', 'Midnight', 'Neon', 'Quiet', 'Restless', 'Silent', 'Silver', 'Sweet', 'Velvet',
  'Wild', 'Wicked', 'Young'
]

export const NOUNS = [
  'Alabama', 'Angel', 'Avenue', 'Ballad', 'Blues', 'Boulevard', 'Canyon', 'Carousel', 'City', 'Coast', 'Dance',
  'Desert', 'Dream', 'Fever', 'Fire', 'Garden', 'Ghost', 'Heart', 'Highway', 'Horizon', 'Island', 'Kennel',
  'Kingdom', 'Lady', 'Light', 'Love', 'Machine', 'Mirror', 'Moon', 'Morning', 'Night', 'Ocean', 'Paradise',
  'Rain', 'River', 'Road', 'Rose', 'Season', 'Shadow', 'Sky', 'Song', 'Storm', 'Summer', 'Sun', 'Sunrise',
  'Thunder', 'Train', 'Valley', 'Wave', 'Whisper', 'Wind', 'Winter', 'World', 'Café', 'Fiesta', 'Corazón'
]

export const VERBS = [
  'Believe', 'Breathe', 'Call', 'Chase', 'Dance', 'Dream', 'Fall', 'Fly', 'Follow', 'Hold', 'Know', 'Leave',
  'Light', 'Meet', 'Move', 'Run', 'Shine', 'Stay', 'Take', 'Wait', 'Wake', 'Walk'
]

export const SMALL_WORDS = ['The', 'In', 'On', 'Of', 'To', 'My', 'Your', 'Our', 'Me', 'You', 'Can\'t', 'Don\'t', 'Never', 'Tonight']
