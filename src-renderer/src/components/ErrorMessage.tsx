import type { CodedError } from '../../../src-shared/result';
import { describeError } from '../store/error-text';

interface ErrorMessageProps {
  error: CodedError | null;
  /** Words before the explanation: "Could not save:". */
  prefix?: string;
  testId?: string;
}

export function ErrorMessage({ error, prefix, testId }: ErrorMessageProps): React.JSX.Element | null {
  if (error === null) return null;
  return (
    <p className="error-text" role="alert" data-testid={testId} title={`${error.code}: ${error.message}`}>
      {prefix !== undefined && `${prefix} `}
      {describeError(error)}
    </p>
  );
}
