/**
 * The REST API {@code /api/v1} and the image media endpoint {@code /media/images/{contentHash}}: a thin read
 * layer over the public services of the dataset, annotation, model and security features. Nothing depends on
 * this feature. Security rules (which role may call what) are in the security feature's filter chains; errors
 * are RFC 9457 problem details. The OpenAPI description is at {@code /api/v1/openapi}.
 */
package studio.grounding.api;
