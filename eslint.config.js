import neostandard from 'neostandard'

export default neostandard({ ts: true, ignores: ['.tap/**', 'coverage/**', 'cdk.out/**', 'test/artifacts/**', 'openapi/**'] })
