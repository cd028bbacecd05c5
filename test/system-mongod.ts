/**
 * Tests that start a real mongod through mongodb-memory-server run only where `MONGOMS_SYSTEM_BINARY` names one:
 * CI's machine has no mongod and cannot download one, and a stand-in would prove nothing.
 */
export const systemMongodSkip: string | false = process.env.MONGOMS_SYSTEM_BINARY
  ? false
  : 'MONGOMS_SYSTEM_BINARY is not set: no mongod to start here (set it to a MongoDB 7 mongod to run this)'
