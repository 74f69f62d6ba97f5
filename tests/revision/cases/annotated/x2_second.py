from typing import Sequence, Union

revision: str = 'x2'
down_revision: Union[str, None] = 'x1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None
