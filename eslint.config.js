import neostandard from 'neostandard'

export default neostandard({ ts: true, ignores: ['.tap/**', 'coverage/**', 'test/artifacts/**', 'openapi/**'] })
