import { ruleCases } from '../helpers/rule-cases';

ruleCases('dind/registry-auth', [
  {
    name: '(a) push to $CI_REGISTRY_IMAGE without docker login: warning at the command, login fixes',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script:
    - docker build -t $CI_REGISTRY_IMAGE .
    - docker push $CI_REGISTRY_IMAGE
`,
    },
    expect: [
      {
        at: 'docker push $CI_REGISTRY_IMAGE',
        job: 'build',
        severity: 'warning',
        message: 'DOCKER_AUTH_CONFIG only authenticates the runner',
      },
    ],
    fixes: [
      'Log in to $CI_REGISTRY with --password-stdin first',
      'Write $DOCKER_AUTH_CONFIG to ~/.docker/config.json first',
    ],
  },
  {
    name: '(a) login in default before_script, public images, no dind service, or a config.json: no finding',
    files: {
      '.gitlab-ci.yml': `default:
  before_script:
    - echo "$CI_REGISTRY_PASSWORD" | docker login $CI_REGISTRY -u $CI_REGISTRY_USER --password-stdin
a:
  services: [docker:24.0.5-dind]
  script: [docker push $CI_REGISTRY_IMAGE]
b:
  services: [docker:24.0.5-dind]
  inherit:
    default: false
  script: [docker pull alpine:3.20, docker push myuser/app]
c:
  inherit:
    default: false
  image: docker:24.0.5-cli
  script: [docker push registry.example.com/app]
d:
  inherit:
    default: false
  services: [docker:24.0.5-dind]
  script:
    - mkdir -p $HOME/.docker && echo "$DOCKER_AUTH_CONFIG" > $HOME/.docker/config.json
    - docker pull registry.example.com/team/base:1
e:
  inherit:
    default: false
  services: [docker:24.0.5-dind]
  before_script: [az acr login --name "$ACR_NAME"]
  script: [docker push $ACR_URL/app:latest]
`,
    },
    expect: [],
  },
  {
    name: '(a) pull from another registry and buildx --push, via extends from an included file',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/build.yml
pull:
  services: [docker:24.0.5-dind]
  script: ["docker pull registry.example.com/team/base:1"]
push:
  extends: .build
`,
      'ci/build.yml': `.build:
  services: [docker:24.0.5-dind]
  script:
    - docker buildx build --push -t $CI_REGISTRY_IMAGE:latest .
`,
    },
    expect: [
      { at: 'docker pull registry.example.com/team/base:1', job: 'pull', severity: 'warning' },
      {
        file: 'ci/build.yml',
        at: 'docker buildx build --push -t $CI_REGISTRY_IMAGE:latest .',
        job: 'push',
        severity: 'warning',
      },
    ],
    fixes: [
      'Write $DOCKER_AUTH_CONFIG to ~/.docker/config.json first',
      'Log in to $CI_REGISTRY with --password-stdin first',
    ],
  },
  {
    name: '(b) CI_BUILD_TOKEN: warning at the variable; (c) is reported too',
    files: {
      '.gitlab-ci.yml': `build:
  services: [docker:24.0.5-dind]
  script:
    - docker login -u gitlab-ci-token -p $CI_BUILD_TOKEN $CI_REGISTRY
    - docker push $CI_REGISTRY_IMAGE
`,
    },
    expect: [
      { at: '$CI_BUILD_TOKEN', job: 'build', severity: 'warning', message: 'CI_BUILD_TOKEN is deprecated' },
      {
        at: 'docker login -u gitlab-ci-token -p $CI_BUILD_TOKEN $CI_REGISTRY',
        job: 'build',
        severity: 'info',
        message: 'Use --password-stdin',
      },
    ],
    fixes: ['Use $CI_REGISTRY_USER / $CI_REGISTRY_PASSWORD', 'Pass the password with --password-stdin'],
  },
  {
    name: '(c) docker login -p through !reference and a quoted item; --password-stdin is fine',
    files: {
      '.gitlab-ci.yml': `.login:
  before_script:
    - 'docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY'
ok:
  script:
    - echo "$CI_REGISTRY_PASSWORD" | docker login -u $CI_REGISTRY_USER --password-stdin $CI_REGISTRY
build:
  before_script: !reference [.login, before_script]
  script: [docker info]
`,
    },
    expect: [
      {
        at: 'docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY',
        job: 'build',
        severity: 'info',
      },
    ],
    fixes: ['Pass the password with --password-stdin'],
  },
]);
