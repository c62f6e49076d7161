// Pipelines shared by the qa3 cases (A21–A39), written from the canonical setups of spec section B.

/** B2 pipeline: pinned client + dind via `default:`, TLS on through the image default, DOCKER_HOST unset. */
export const B2_CI = `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  before_script:
    - docker info

variables:
  DOCKER_TLS_CERTDIR: "/certs"

build:
  stage: build
  script:
    - docker build -t my-docker-image .
`;

/** B3 pipeline: TLS disabled, DOCKER_HOST on 2375. */
export const B3_CI = `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  before_script:
    - docker info

variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""

build:
  stage: build
  script:
    - docker build -t my-docker-image .
`;

/** A job that runs docker without any dind (socket binding). */
export const SOCKET_CI = `build:
  image: docker:24.0.5-cli
  script:
    - docker build -t my-docker-image .
`;
