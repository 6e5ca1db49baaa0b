import { Alert } from '@mantine/core';
import type { ApiError } from '../api';

/**
 * Why a form was not accepted, above the form: nothing when there is no error, or when the error is about one of
 * `fields` and is already shown under that field.
 */
export function FormError({
  error,
  fields,
  title,
}: {
  error: ApiError | null;
  fields: readonly string[];
  title: string;
}) {
  if (!error || fields.some((field) => error.fieldMessage(field))) return null;
  return (
    <Alert color="red" role="alert" title={title}>
      {error.message}
    </Alert>
  );
}
