// Pipelines shared by the qa3 cases (A21–A39), written from the canonical setups of spec section B.

import { B2, B3 } from '../helpers/canonical';

/** B2 pipeline: pinned client + dind via `default:`, TLS on through the image default, DOCKER_HOST unset. */
export const B2_CI = B2.ci;

/** B3 pipeline: TLS disabled, DOCKER_HOST on 2375. */
export const B3_CI = B3.ci;

/** A job that runs docker without any dind (socket binding). */
export const SOCKET_CI = `build:
  image: docker:24.0.5-cli
  script:
    - docker build -t my-docker-image .
`;
