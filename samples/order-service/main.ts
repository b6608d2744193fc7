import 'reflect-metadata';
import { serve } from 'fc-kernel';
import { CreateOrderFunction } from './CreateOrderFunction';

void serve(CreateOrderFunction);
