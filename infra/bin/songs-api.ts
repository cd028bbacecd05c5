import { buildInfraApp } from '../app.ts'

buildInfraApp().app.synth()
