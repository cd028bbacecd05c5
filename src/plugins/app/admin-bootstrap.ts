import fp from 'fastify-plugin'
import { credentialsProblem } from '../../schemas/users.ts'
import { ADMIN_ROLES } from './users-repository.ts'

/**
 * `ADMIN_USERNAME` + `ADMIN_PASSWORD`: the first admin of a new deployment (`docker compose up`), created at start
 * when no account has that name. An existing account is left as it is, whatever its password: the environment
 * cannot take over an account. Instances starting together are safe: the unique username index lets one create it.
 */
export default fp(async function adminBootstrap (fastify) {
  const { admin } = fastify.config
  if (!admin) return
  const problem = credentialsProblem(admin.username, admin.password)
  if (problem) throw new Error(`ADMIN_USERNAME/ADMIN_PASSWORD: ${problem}`)
  const created = await fastify.usersRepository.create(admin.username, admin.password, ADMIN_ROLES)
  if (created) fastify.log.info({ username: created.username, id: created.id }, 'created the admin named by ADMIN_USERNAME')
}, { name: 'admin-bootstrap', dependencies: ['users-repository'] })
