import { expect } from 'chai';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMinSize,
  Equals,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { describeDtoFields } from '../../src/plan/describeDtoFields';

@ValidatorConstraint({ name: 'isUniqueSku', async: true })
class IsUniqueSku implements ValidatorConstraintInterface {
  async validate(): Promise<boolean> {
    return true;
  }
}

describe('describeDtoFields: a DTO as class-validator and class-transformer record it', () => {
  it('lists properties in declaration order, constraints in the order written, with their arguments', () => {
    class Line {
      @IsString() @Matches(/^[A-Z]+-\d+$/i) sku!: string;
      @IsInt() @Min(1) quantity!: number;
      @IsIn(['EUR', 'USD']) currency!: string;
    }
    expect(describeDtoFields(Line)).to.deep.equal([
      {
        name: 'sku',
        type: 'String',
        optional: false,
        constraints: [{ name: 'isString' }, { name: 'matches', args: ['/^[A-Z]+-\\d+$/i'] }],
        transformTo: null,
        nested: null,
      },
      {
        name: 'quantity',
        type: 'Number',
        optional: false,
        constraints: [{ name: 'isInt' }, { name: 'min', args: [1] }],
        transformTo: null,
        nested: null,
      },
      {
        name: 'currency',
        type: 'String',
        optional: false,
        constraints: [{ name: 'isIn', args: [['EUR', 'USD']] }],
        transformTo: null,
        nested: null,
      },
    ]);
  });

  it('shows each, groups, always, message overrides (text or function), validateIf and @Allow', () => {
    class Options {
      @IsString({ each: true, message: 'tags are words' }) tags!: string[];
      @IsString({ groups: ['admin'], always: true, message: () => 'computed' }) role!: string;
      @ValidateIf((o: Options) => o.role === 'x') @Equals('y', { groups: ['admin'] }) other!: string;
      @Allow() anything!: unknown;
    }
    const [tags, role, other, anything] = describeDtoFields(Options);
    expect(tags!.constraints).to.deep.equal([{ name: 'isString', each: true, message: 'tags are words' }]);
    expect(role!.constraints).to.deep.equal([
      { name: 'isString', groups: ['admin'], always: true, message: '[function]' },
    ]);
    expect(other!.constraints).to.deep.equal([
      { name: 'validateIf' },
      { name: 'equals', args: ['y'], groups: ['admin'] },
    ]);
    expect(anything!.constraints).to.deep.equal([{ name: 'allow' }]);
  });

  it('marks the constraints the groups in force leave out, as class-validator skips them', () => {
    class Grouped {
      @IsString() plain!: string;
      @IsString({ groups: ['create'] }) onCreate!: string;
      @IsString({ groups: ['update'] }) onUpdate!: string;
      @IsString({ always: true }) always!: string;
    }
    const inactive = (groups?: string[]) =>
      describeDtoFields(Grouped, groups).map((f) => [f.name, f.constraints[0]!.inactive === true]);
    expect(inactive()).to.deep.equal([
      ['plain', false],
      ['onCreate', false],
      ['onUpdate', false],
      ['always', false],
    ]);
    expect(inactive(['create'])).to.deep.equal([
      ['plain', true],
      ['onCreate', false],
      ['onUpdate', true],
      ['always', false],
    ]);
  });

  it('names a custom constraint as its errors do, and says when it is asynchronous', () => {
    class Sku {
      @Validate(IsUniqueSku, ['catalogue']) sku!: string;
    }
    expect(describeDtoFields(Sku)[0]!.constraints).to.deep.equal([
      { name: 'isUniqueSku', args: ['catalogue'], async: true },
    ]);
  });

  it('describes nested classes in place, with @Type, each and @IsOptional', () => {
    class Item {
      @IsString() sku!: string;
    }
    class Address {
      @IsString() city!: string;
    }
    class Order {
      @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
      @IsOptional() @ValidateNested() @Type(() => Address) shipTo?: Address;
      @Type(() => Date) @Allow() placedAt!: Date;
    }
    const [items, shipTo, placedAt] = describeDtoFields(Order);
    expect(items).to.deep.include({ type: 'Array', transformTo: 'Item', optional: false });
    expect(items!.constraints).to.deep.equal([
      { name: 'arrayMinSize', args: [1] },
      { name: 'nestedValidation', each: true },
    ]);
    expect(items!.nested).to.deep.equal({
      class: 'Item',
      each: true,
      fields: [
        {
          name: 'sku',
          type: 'String',
          optional: false,
          constraints: [{ name: 'isString' }],
          transformTo: null,
          nested: null,
        },
      ],
    });
    expect(shipTo).to.deep.include({ optional: true, type: 'Address', transformTo: 'Address' });
    expect(shipTo!.nested).to.deep.include({ class: 'Address', each: false });
    expect(placedAt).to.deep.include({ type: 'Date', transformTo: 'Date', nested: null });
  });

  it('describes a class once per DTO: a repeat or a cycle points back to it', () => {
    class Node {
      @IsString() name!: string;
      @IsOptional() @ValidateNested({ each: true }) @Type(() => Node) children?: Node[];
    }
    class Tree {
      @ValidateNested() @Type(() => Node) root!: Node;
      @ValidateNested() @Type(() => Node) spare!: Node;
    }
    const [root, spare] = describeDtoFields(Tree);
    const children = root!.nested!.fields!.find((f) => f.name === 'children')!;
    expect(children.nested).to.deep.equal({ class: 'Node', each: true, repeated: true });
    expect(spare!.nested).to.deep.equal({ class: 'Node', each: false, repeated: true });
  });

  it('a @ValidateNested() without @Type: the nested class is unknown', () => {
    class Inner {
      @IsString() x!: string;
    }
    class Outer {
      @ValidateNested() inner!: Inner;
    }
    expect(describeDtoFields(Outer)[0]!.nested).to.deep.equal({ class: null, each: false });
  });

  it("includes a base class's properties after the subclass's own", () => {
    class Base {
      @IsString() id!: string;
    }
    class Derived extends Base {
      @IsInt() count!: number;
    }
    expect(describeDtoFields(Derived).map((f) => f.name)).to.deep.equal(['count', 'id']);
  });
});
